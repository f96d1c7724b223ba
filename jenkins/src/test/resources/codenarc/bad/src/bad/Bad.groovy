package bad

import com.cloudbees.groovy.cps.NonCPS
import java.util.regex.Matcher

class Bad implements Serializable {
    private static final long serialVersionUID = 1L

    void cps() {
        Matcher m = ('abc' =~ /b/)
        m.find()
        List list = [3, 1, 2]
        list.sort { a, b -> a <=> b }
    }

    @NonCPS
    void nonCps() {
        cps()
    }
}

class NotSer {
    String s
}
