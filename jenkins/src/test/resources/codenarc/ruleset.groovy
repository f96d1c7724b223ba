// CodeNarc rules for the shared library (vars/ and src/) and Jenkinsfile.example: the Jenkins/CPS rules, and the general rules that catch
// real mistakes. The build fails on any violation (jenkins/src/test/java/.../CodeNarcTest.java).
ruleset {
    // CodeNarc applies its Jenkins rules to files named Jenkinsfile only, unless told otherwise
    ruleset('rulesets/jenkins.xml') {
        'ClassNotSerializable' { applyToFileNames = '*.groovy,Jenkinsfile*' }
        'ClosureInGString' { applyToFileNames = '*.groovy,Jenkinsfile*' }
        'CpsCallFromNonCpsMethod' { applyToFileNames = '*.groovy,Jenkinsfile*' }
        'ExpressionInCpsMethodNotSerializable' { applyToFileNames = '*.groovy,Jenkinsfile*' }
        'ForbiddenCallInCpsMethod' { applyToFileNames = '*.groovy,Jenkinsfile*' }
        'ObjectOverrideOnlyNonCpsMethods' { applyToFileNames = '*.groovy,Jenkinsfile*' }
        'ParameterOrReturnTypeNotSerializable' { applyToFileNames = '*.groovy,Jenkinsfile*' }
    }
    ruleset('rulesets/basic.xml')
    ruleset('rulesets/imports.xml')
    ruleset('rulesets/unused.xml') {
        // @Library('name') _ : the underscore is Jenkins' idiom for an annotation without a variable to annotate
        'UnusedVariable' { ignoreVariableNames = '_' }
    }
    ruleset('rulesets/exceptions.xml')
    ruleset('rulesets/serialization.xml')
    ruleset('rulesets/logging.xml')
}
